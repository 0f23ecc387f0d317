#!/usr/bin/env node
// The kube-graceful language server. Pass the transport: --stdio, --node-ipc or --socket=<port>.
'use strict';
require('../out/lsp/main.js');
