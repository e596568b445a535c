import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

test.describe('overview and admin', () => {
  test('support staff see the fleet at a glance, and are told the admin pages need the admin role', async ({ page }) => {
    await signIn(page, 'support@example.com', 'ota-support');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await expect(page.getByText('Vehicles registered')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Demo: main ECU 1.1.0' })).toHaveAttribute('href', '/campaigns/18');
    await expect(page.getByRole('heading', { name: 'Events per hour' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Recent failures' })).toBeVisible();
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Admin' })).toHaveCount(0);

    await page.goto('/admin');
    const notice = page.getByRole('alert').filter({ hasText: 'This page needs the admin role.' });
    await expect(notice).toContainText('You are signed in as support@example.com with the support role');
  });

  test('an admin adds a user, is told when the e-mail is taken, and finds both in the audit log', async ({ page }) => {
    const email = `tech-${randomUUID().slice(0, 8)}@example.com`;
    await signIn(page, 'admin@example.com', 'ota-admin');
    await page.goto('/admin');
    await expect(page.getByText('support@example.com', { exact: true })).toBeVisible();

    await page.fill('input[name=new-user-email]', 'operator@example.com');
    await page.fill('input[name=new-user-password]', 'long-enough-1');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'exists already' })).toHaveText('A user with the e-mail operator@example.com exists already.');

    await page.fill('input[name=new-user-email]', email);
    await page.fill('input[name=new-user-name]', 'Field Technician');
    await page.selectOption('select[name=new-user-role]', 'operator');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByRole('status')).toContainText(`${email} can sign in now as operator`);
    const row = page.getByRole('row').filter({ hasText: email });
    await expect(row).toContainText('Field Technician');

    await row.getByRole('button', { name: 'Disable' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Disable' }).click();
    await expect(row).toContainText('Disabled');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByRole('row').filter({ hasText: 'user.create' }).filter({ hasText: email })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'user.update' }).filter({ hasText: 'disabled: false → true' })).toBeVisible();
  });
});
