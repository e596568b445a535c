import { ApiTokensPanel } from '../_components/api-tokens-panel';

export default function AdminApiTokensPage() {
  return <ApiTokensPanel />;
}
