#!/usr/bin/env node
// The installed `rmsprop` command. It lives outside dist/ so that npm links it at install time, before
// the first build (npm skips a bin whose file does not exist yet).
import '../dist/main.js';
