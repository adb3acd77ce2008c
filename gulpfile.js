const path = require('node:path');
const { task, src, dest } = require('gulp');

// Node icons, codex files (*.node.json) and the event's JSON Schema are not TypeScript, so tsc leaves them out of dist/.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}', 'nodes/core/*.schema.json'], {
		base: path.resolve('.'),
		encoding: false,
	}).pipe(dest('dist')),
);
