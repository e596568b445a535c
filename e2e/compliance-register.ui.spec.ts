import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';
import { runVehicleUpdate } from '@/server/simulator/vehicle-simulator';

const vin = 'vinUpdate20231008';
/** Where the pages' screenshots go for a person to look at (not asserted on). */
const screens = process.env.E2E_SCREENSHOTS_DIR;

test.describe.serial('the UN R156 software register after the demo vehicle updates', () => {
  test('the simulator runs vinUpdate20231008 through campaign 18', async ({ baseURL }) => {
    const lines: string[] = [];
    const result = await runVehicleUpdate({ baseUrl: baseURL!, vin, campaignId: 18, log: (l) => lines.push(l) });
    // The API suite may have run it already; either way campaign 18 is complete for the vehicle.
    expect(['completed', 'nothing-to-do'], lines.join('\n')).toContain(result.outcome);
  });

  test('the vehicle page shows ECU 1 at 1.1.0 and the register row 1.0.0 → 1.1.0 with RXSWIN before and after', async ({ page }) => {
    await signIn(page, 'support@example.com', 'ota-support');
    await page.goto(`/vehicles/${vin}`);
    // The Installed software table: ECU 1 (hardware ECU-HW-1) now runs 1.1.0.
    await expect(page.getByRole('row').filter({ hasText: 'ECU-HW-1' }).first()).toContainText('1.1.0');

    const register = page.locator('#register');
    await expect(register.getByRole('heading', { name: 'Software register' })).toBeVisible();
    const row = register.getByTestId('register-row').filter({ hasText: 'Demo: main ECU 1.1.0' });
    await expect(row).toContainText('ECU 1: 1.0.0 → 1.1.0');
    await expect(row).toContainText('R156-DEMO-0001');
    await expect(row).toContainText('R156-DEMO-0002');
    await expect(row).toContainText('completed');
    if (screens) await page.screenshot({ path: `${screens}/vehicle-page.png`, fullPage: true });
  });

  test('the Compliance page finds the row and exports it as CSV and JSON', async ({ page }) => {
    await signIn(page, 'support@example.com', 'ota-support');
    await page.getByRole('navigation').getByRole('link', { name: 'Compliance' }).click();
    await expect(page.getByRole('heading', { name: 'Compliance' })).toBeVisible();
    await page.getByLabel('VIN contains').fill(vin);
    await page.getByLabel('Campaign id').fill('18');
    const row = page.getByTestId('register-row').filter({ hasText: vin });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('ECU 1: 1.0.0 → 1.1.0');
    if (screens) await page.screenshot({ path: `${screens}/compliance.png`, fullPage: true });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const text = readFileSync((await csv.path())!, 'utf8');
    const [header, line, ...rest] = text.trimEnd().split('\r\n');
    expect(rest).toEqual([]);
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, line!.split(',')[i]]));
    expect(cells).toMatchObject({ vin, campaign_id: '18', outcome: 'completed', rxswin_before: 'R156-DEMO-0001 (ECU 1)', rxswin_after: 'R156-DEMO-0002 (ECU 1)' });
    expect(cells.ecu_versions).toMatch(/^1: 1\.0\.0 -> 1\.1\.0/);

    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export JSON' }).click()]);
    const rows = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { vin: string; ecus: { ecuId: string; before: string; after: string }[] }[];
    expect(rows).toEqual([expect.objectContaining({ vin, ecus: [expect.objectContaining({ ecuId: '1', before: '1.0.0', after: '1.1.0' })] })]);
  });

  test('campaign 18 shows its type-approval report', async ({ page }) => {
    await signIn(page, 'admin@example.com', 'ota-admin');
    await page.goto('/campaigns/18');
    const report = page.getByTestId('type-approval-report');
    await expect(report).toContainText('1.0.0 → 1.1.0');
    await expect(report).toContainText('R156-DEMO-0002');
    if (screens) {
      await report.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${screens}/campaign-report.png`, fullPage: true });
    }
  });
});
