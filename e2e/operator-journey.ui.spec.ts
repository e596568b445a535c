import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signIn, signOut } from './sign-in';
import { runVehicleUpdate, type SimulationResult } from '@/server/simulator/vehicle-simulator';

const vin = 'TESTVIN1234567890';
const tag = randomUUID().slice(0, 6);
const packageName = `Gateway firmware ${tag}`;
const vehiclePackageName = `Gateway bundle ${tag}`;
const campaignName = `Gateway rollout ${tag}`;

/** Chooses the option whose text contains `text` (labels carry versions and sizes too). */
async function chooseOption(select: import('@playwright/test').Locator, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value!);
}

test.describe.serial('an operator ships an update and support can tell the story', () => {
  let campaignUrl: string;
  let run: SimulationResult;

  test('an operator uploads a package, composes it, builds a campaign and deploys it', async ({ page }) => {
    await signIn(page, 'operator@example.com', 'ota-operator');

    await page.getByRole('navigation').getByRole('link', { name: 'Packages' }).click();
    const upload = page.getByRole('form', { name: 'Upload a software package' });
    await upload.locator('input[name=file]').setInputFiles({ name: `gateway-${tag}.bin`, mimeType: 'application/octet-stream', buffer: randomBytes(300 * 1024) });
    await upload.locator('input[name=name]').fill(packageName);
    await upload.locator('input[name=version]').fill('2.0.0');
    await upload.locator('input[name=targetEcu]').fill('1');
    await upload.getByRole('button', { name: /upload/i }).click();
    await expect(page.getByRole('row').filter({ hasText: packageName }).first()).toBeVisible();

    const compose = page.getByRole('form', { name: 'Compose a vehicle package' });
    await compose.locator('input[name=vpName]').fill(vehiclePackageName);
    await compose.locator('input[name=vpVersion]').fill('2.0');
    await chooseOption(compose.getByLabel('Software package to add'), packageName);
    await compose.getByRole('button', { name: 'Add', exact: true }).click();
    await compose.getByRole('button', { name: /compose|create/i }).click();
    await expect(page.getByText(vehiclePackageName).first()).toBeVisible();

    await page.getByRole('navigation').getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: /new campaign/i }).first().click();
    const builder = page.getByRole('form', { name: 'New campaign' });
    await builder.getByLabel('Name', { exact: true }).fill(campaignName);
    await chooseOption(builder.getByLabel('Vehicle package'), vehiclePackageName);
    await builder.getByLabel('Priority').fill('10');
    await builder.locator('textarea[name=vins]').fill(vin);
    await builder.getByLabel('Title of HMI text 1').fill('Gateway update 2.0');
    await builder.getByLabel('Body of HMI text 1').fill('Faster start-up. About 5 minutes; the car can be driven meanwhile.');
    await builder.getByRole('button', { name: /save/i }).click();
    await page.waitForURL(/\/campaigns\/\d+$/);
    campaignUrl = new URL(page.url()).pathname;
    await expect(page.getByRole('heading', { name: campaignName })).toBeVisible();

    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: /deploy/i }).click();
    await expect(page.getByText('Deployed').first()).toBeVisible();
  });

  test('the vehicle runs the update, and the funnel reaches completed', async ({ page, baseURL }) => {
    run = await runVehicleUpdate({ baseUrl: baseURL!, vin, withLogs: true });
    expect(run.outcome).toBe('completed');
    expect(campaignUrl).toBe(`/campaigns/${run.campaignId}`);

    await signIn(page, 'operator@example.com', 'ota-operator');
    await page.goto(campaignUrl);
    const funnel = page.getByTestId('funnel');
    await expect(funnel).toContainText(/Completed\s*1/, { timeout: 15_000 });
  });

  test('support looks up the VIN and sees every event of the attempt, but cannot deploy or upload', async ({ page, request }) => {
    await signIn(page, 'support@example.com', 'ota-support');
    await page.getByRole('searchbox', { name: 'Look up a VIN' }).or(page.getByLabel('Look up a VIN')).fill('TESTVIN');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: new RegExp(vin) }).first().click();
    await page.waitForURL(new RegExp(`/vehicles/${vin}$`));

    // The vehicle made one attempt (its only one): one timeline, holding every event it sent.
    await expect(page.getByText(run.attemptId!).first()).toBeVisible();
    await expect(page.getByTestId('timeline')).toHaveCount(1);
    const attemptTimeline = page.getByTestId('timeline');
    await expect(attemptTimeline.getByTestId('timeline-event')).toHaveCount(run.eventsSent);
    await expect(attemptTimeline).toContainText('C_35');
    await expect(attemptTimeline).toContainText('Update complete');
    await expect(page.getByText(`update-${run.attemptId}.log`)).toBeVisible();

    await page.goto(campaignUrl);
    await expect(page.getByRole('heading', { name: campaignName })).toBeVisible();
    for (const action of ['Deploy', 'Suspend', 'Cancel', 'Complete']) await expect(page.getByRole('button', { name: action, exact: true })).toHaveCount(0);
    await page.goto('/packages');
    await expect(page.getByRole('form', { name: 'Upload a software package' })).toHaveCount(0);

    // The server refuses what the page does not offer.
    const cookies = await page.context().cookies();
    const upload = await request.post('/api/packages/upload?name=x&version=1&targetEcu=1&fileName=x.bin', {
      data: Buffer.from('firmware'),
      headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'content-type': 'application/octet-stream' },
    });
    expect(upload.status()).toBe(403);
  });

  test('signing out ends access', async ({ page }) => {
    await signIn(page, 'support@example.com', 'ota-support');
    await signOut(page);
    await page.goto(`/vehicles/${vin}`);
    await expect(page).toHaveURL(/\/signin/);
    const api = await page.request.get('/api/trpc/users.me');
    expect(api.status()).toBe(401);
  });
});
