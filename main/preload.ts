// Placeholder: the preload exposing window.studio is being written.
export {};
