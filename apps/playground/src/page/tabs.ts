/** Switches the visible tab panel when a tab button is clicked (panels are `#tab-<name>`). */
export function setUpTabs(): void {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('[role="tablist"] [role="tab"]')];
  for (const button of buttons) {
    button.addEventListener('click', () => {
      for (const other of buttons) {
        const selected = other === button;
        other.setAttribute('aria-selected', String(selected));
        const panel = document.getElementById(`tab-${other.dataset.tab}`);
        if (panel) panel.hidden = !selected;
      }
    });
  }
}
