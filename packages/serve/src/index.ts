export type { ApiErrorBody, ApiErrorDetail, ApiErrorOptions } from './api-error.js';
export { ApiError } from './api-error.js';
export type { ChatMessage, ChatPrompt } from './chat-template.js';
export { formatChatPrompt } from './chat-template.js';
export type { LoadedServedModel } from './load-served-model.js';
export { loadServedModel } from './load-served-model.js';
export type { PreparedPrompt, ServedModel, ServedTokenizer } from './served-model.js';
export type { RunningServer, ServerOptions, ServerStats } from './server.js';
export { startServer } from './server.js';
