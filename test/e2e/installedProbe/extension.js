// An empty extension under development: it only lets the workbench run ./run.js in the extension host.
'use strict';
exports.activate = () => undefined;
