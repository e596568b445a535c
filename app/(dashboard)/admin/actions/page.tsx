import { ActionDefaultsPanel } from '../_components/action-defaults-panel';

export default function AdminActionsPage() {
  return <ActionDefaultsPanel />;
}
