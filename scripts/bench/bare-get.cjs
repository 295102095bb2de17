'use strict';
// The floor of the quota rows: one GET of the Token Plan quota, printed as it came.
//   node bare-get.cjs BASE_URL KEY
const { get } = require('node:http');

const [base, key] = process.argv.slice(2);
get(`${base}/v1/token_plan/remains`, { headers: { authorization: `Bearer ${key}` } }, (res) => res.pipe(process.stdout));
