// Each test makes the rows it needs, with unique values, through the real repositories (one file per table).
export * from './audit';
export * from './classes';
export * from './courses';
export * from './departments';
export * from './enrolments';
export * from './grades';
export * from './majors';
export * from './sections';
export * from './staff';
export * from './students';
export * from './terms';
export * from './unique';
export * from './users';
