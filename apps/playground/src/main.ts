// The page: tabs, the error panel, and one generation worker that every tab talks to.
import { setUpBackendChoice } from './page/backend-choice.js';
import { byId } from './page/dom.js';
import { installErrorPanel, showError } from './page/error-panel.js';
import { setUpExplorerTab } from './page/explorer-tab.js';
import { setUpMusicTab } from './page/music-tab.js';
import { setUpTabs } from './page/tabs.js';
import { setUpTextTab } from './page/text-tab.js';
import { setUpTrainTab } from './page/train-tab.js';
import { setUpTranslateTab } from './page/translate-tab.js';
import { WorkerClient } from './page/worker-client.js';

installErrorPanel();
setUpTabs();

const worker = new WorkerClient((reply) => {
  if (reply.type === 'ready') {
    byId('backend-status', HTMLSpanElement).textContent = `TensorFlow.js backend: ${reply.backend}`;
    document.body.dataset.backend = reply.backend;
    if (reply.notice) {
      const notice = byId('backend-notice', HTMLParagraphElement);
      notice.textContent = reply.notice;
      notice.hidden = false;
    }
  } else if (reply.type === 'error') {
    showError(reply.message);
  }
});
worker.start(setUpBackendChoice());

setUpTextTab(worker);
setUpMusicTab(worker);
setUpExplorerTab(worker);
setUpTrainTab(worker);
setUpTranslateTab(worker);
