/** @type {import('jest').Config} */
const project = (name, testMatch) => ({
	displayName: name,
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch,
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
});

module.exports = {
	projects: [
		project('unit', ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/nodes/**/*.test.ts']),
		project('e2e', ['<rootDir>/test/e2e/**/*.test.ts']),
	],
};
