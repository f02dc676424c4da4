// Placeholder: the Electron shell is being written (main/window.ts, ipc.ts, preload.ts).
export {};
