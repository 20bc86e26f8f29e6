// UI flows against the throwaway smoke extension (test/e2e/fixtures/smoke-extension).
// They prove the step helpers; the real extension's flows live in ./qoder.ts.
import { expect, type Flow } from './types';

export const smokeFlows: Flow[] = [
  {
    name: 'activity bar view shows the tree',
    async run(wb) {
      await wb.openViewContainer('E2E Smoke');
      await wb.waitForTreeRow('alpha-item');
      const rows = await wb.treeRowTexts();
      expect(rows.some((r) => r.includes('beta-item')), `rows: ${rows.join(' / ')}`);
      await wb.screenshot('activity-bar-view');
    },
  },
  {
    name: 'command palette runs a command, toast appears',
    async run(wb) {
      await wb.runCommand('E2E Smoke: Say Hello');
      const msg = await wb.waitForNotification('from the smoke extension');
      expect(msg.startsWith('Hi there'), `greeting from user settings expected, got "${msg}"`);
      await wb.screenshot('hello-notification');
    },
  },
  {
    name: 'quick input: type a value',
    async run(wb) {
      await wb.runCommand('E2E Smoke: Ask Name');
      const prompt = await wb.quickInputText();
      expect(prompt.includes('What is your name?'), `prompt was "${prompt}"`);
      await wb.screenshot('input-box');
      await wb.typeInQuickInput('Ada');
      await wb.waitForNotification('Nice to meet you, Ada');
    },
  },
  {
    name: 'context menu → modal dialog → cancel, then confirm',
    async run(wb) {
      await wb.openViewContainer('E2E Smoke');
      await wb.contextMenu('beta-item', 'Remove Item');
      const text = await wb.dialogText();
      expect(text.includes('Remove beta-item?') && text.includes('only affects the smoke fixture'), `dialog text "${text}"`);
      const buttons = await wb.dialogButtons();
      expect(buttons.includes('Remove') && buttons.includes('Cancel'), `buttons ${buttons.join(',')}`);
      await wb.screenshot('modal-dialog');
      await wb.clickDialogButton('Cancel');
      await wb.waitForTreeRow('beta-item');

      await wb.contextMenu('beta-item', 'Remove Item');
      await wb.clickDialogButton('Remove');
      await wb.waitForNotification('Removed beta-item');
      await wb.treeRow('beta-item').waitFor({ state: 'detached', timeout: 10_000 });
      await wb.screenshot('after-remove');
    },
  },
  {
    name: 'notification centre lists earlier notifications',
    async run(wb) {
      const all = await wb.notificationCentre();
      expect(all.some((m) => m.includes('Removed beta-item')), `centre: ${all.join(' / ')}`);
    },
  },
];
