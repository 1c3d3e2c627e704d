export * from './common.js';
export * from './auth.js';
export * from './devices.js';
export * from './setup.js';
export * from './queue.js';
export * from './realtime.js';
