import { WebhooksPanel } from '../_components/webhooks-panel';

export default function AdminWebhooksPage() {
  return <WebhooksPanel />;
}
