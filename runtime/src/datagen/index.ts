/** Seeded data generators for lessons, tests and benchmarks. Deterministic, never from the network. */
export { SeededRandom } from './random.js';
export { generateSensorReadings } from './sensors.js';
export type { SensorArrival, SensorOptions, SensorReading } from './sensors.js';
export { epochSeconds, generateOriginEvents, originLabels } from './origins.js';
export type { OriginEvent, OriginOptions } from './origins.js';
export { generateLocations } from './locations.js';
export type { LocationFix, LocationOptions } from './locations.js';
export { generateMachineRows, machineReading, type MachineRow, type MachineOptions } from './machines.js';
export { generateDriverFixes, tutorialTime, type DriverFix, type DriverFixOptions } from './driver-fixes.js';
export { generateLakeDays, lakeCsv, lakeFiles, announcedReports, weeklyDaxCloses, isoDate, LAKE_COUNTRIES, type AnnouncedReport, type CovidCount, type DaxClose, type LakeDay, type LakeOptions, type LakeSplitOptions } from './dax-covid.js';
