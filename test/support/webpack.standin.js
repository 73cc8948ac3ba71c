/* eslint-disable no-undef */
// Builds the test Excel host for the browser test (never part of dist/); the page gets Microsoft's
// excel-web-16.00.js followed by this bundle where it loads office.js.
const path = require('path');

module.exports = (env = {}) => ({
  mode: 'development',
  devtool: false,
  entry: { standin: path.resolve(__dirname, 'excel-host', 'browser.ts') },
  output: { path: env.out || path.resolve(__dirname, '..', '.tmp', 'standin'), filename: '[name].js' },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [{
      test: /\.ts$/,
      exclude: /node_modules/,
      use: { loader: 'ts-loader', options: { configFile: path.resolve(__dirname, '..', '..', 'tsconfig.json'), transpileOnly: true, compilerOptions: { module: 'es2020' } } },
    }],
  },
});
