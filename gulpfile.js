const path = require('node:path');
const { task, src, dest } = require('gulp');

// Node icons and the event's JSON Schema are not TypeScript, so tsc leaves them out of dist/.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}', 'nodes/core/*.schema.json'], {
		base: path.resolve('.'),
		encoding: false,
	}).pipe(dest('dist')),
);
