// Which documents are compose files. Kept apart from the analysis so that activation does not load the compose core
// (and the yaml parser) before a compose file is open.
import * as vscode from 'vscode';
import { composeSettings } from '../settings';

const composeFileName = /(^|[\\/])(docker-)?compose(\.[\w-]+)*\.ya?ml$/i;

/** Whether the document is a compose file: by language id, by name, or by the `compose.files` setting. */
export function isComposeDocument(document: vscode.TextDocument): boolean {
  if (document.languageId === 'dockercompose') return true;
  if (document.languageId !== 'yaml') return false;
  if (composeFileName.test(document.uri.path)) return true;
  const extra = composeSettings(document.uri).files;
  return extra.some((pattern) => vscode.languages.match({ pattern }, document) > 0);
}

/** yaml files are filtered by name inside the providers (the `compose.files` setting can add any name). */
export const composeSelector: vscode.DocumentSelector = [
  { language: 'dockercompose' },
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
];
