/* eslint-disable no-undef */
/**
 * The add-in build (issue #3). `npm run build` → dist/ for production, `npm run build:dev` /
 * `npm run dev-server` for development on https://localhost:3000/.
 *
 * Entries: `taskpane` (the task pane page) and `functions` (EVN.* custom functions). With the
 * shared runtime both run in ONE page, taskpane.html, which loads both bundles; functions.js is
 * also emitted on its own because the manifest's CustomFunctions <Script> points at it.
 */
const path = require('path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const CustomFunctionsMetadataPlugin = require('custom-functions-metadata-plugin');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const FunctionsLocalePlugin = require('./scripts/functions-locale-plugin');
const { DEV_URL, prodUrl, toProduction } = require('./scripts/manifest-urls');

async function httpsOptions() {
  // Only when serving: creates/installs the localhost certificate on first use.
  const devCerts = require('office-addin-dev-certs');
  const o = await devCerts.getHttpsServerOptions();
  return { ca: o.ca, key: o.key, cert: o.cert };
}

module.exports = async (env = {}, argv = {}) => {
  const dev = argv.mode !== 'production';
  const urlProd = dev ? null : prodUrl();
  return {
    mode: dev ? 'development' : 'production',
    devtool: dev ? 'source-map' : false,
    entry: {
      taskpane: './src/taskpane/taskpane.ts',
      functions: './src/functions/functions.ts',
    },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      clean: true,
    },
    resolve: { extensions: ['.ts', '.js'] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: {
              configFile: path.resolve(__dirname, 'tsconfig.json'),
              // Type checking is `npm run typecheck`; the bundle build stays lean (2-core CI).
              transpileOnly: true,
              compilerOptions: { module: 'es2020', sourceMap: dev },
            },
          },
        },
      ],
    },
    plugins: [
      new CustomFunctionsMetadataPlugin({ output: 'functions.json', input: './src/functions/functions.ts' }),
      new FunctionsLocalePlugin({
        source: 'functions.json',
        output: 'functions.vi.json',
        texts: path.resolve(__dirname, 'src/functions/functions.vi.json'),
      }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane/taskpane.html',
        chunks: ['taskpane', 'functions'],
        scriptLoading: 'defer',
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/*.png', to: 'assets/[name][ext]' },
          // The manifest's SupportUrl and LearnMoreUrl: a page that works in a browser, outside Office.
          { from: 'assets/help.html', to: 'help.html' },
          // The task pane's style sheet: plain CSS with Fluent 2 tokens, no loader needed.
          { from: 'src/taskpane/taskpane.css', to: 'taskpane.css' },
          {
            from: 'manifest.xml',
            to: '[name][ext]',
            transform(content) {
              return dev ? content : toProduction(content.toString('utf8'), urlProd, DEV_URL);
            },
          },
        ],
      }),
    ],
    performance: { hints: false },
    devServer: {
      headers: { 'Access-Control-Allow-Origin': '*' },
      server: { type: 'https', options: env.WEBPACK_SERVE ? await httpsOptions() : undefined },
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
      static: false,
      client: { overlay: false },
    },
  };
};
