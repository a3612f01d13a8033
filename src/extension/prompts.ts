// The modal questions the extension asks before it acts: consent to run a helper container, and confirmation of a
// change to the engine. Handed to the code that asks them, so the test seam (testing.ts) can answer what an
// integration test cannot click; the e2e clicks the real modals.
import * as vscode from 'vscode';

/** Asks before a helper container runs; true when allowed. */
export type ConsentPrompt = (message: string, detail: string) => Thenable<boolean>;

/** Asks before a change to the engine; true when the user chose `action`. */
export type Confirmation = (question: string, action: string) => Thenable<boolean>;

export interface UserPrompts {
  consent: ConsentPrompt;
  confirm: Confirmation;
}

export const allowLabel = 'Allow on This Engine';

export const modalPrompts: UserPrompts = {
  consent: async (message, detail) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, allowLabel)) === allowLabel,
  confirm: async (question, action) => (await vscode.window.showWarningMessage(question, { modal: true }, action)) === action,
};
