export type { Schedule } from './schedule.js';
export * as schedules from './schedules.js';
export { ReduceLROnPlateau, type PlateauOptions } from './reduce-on-plateau.js';
export { scheduleFromTorch, plateauFromTorch } from './torch-names.js';
