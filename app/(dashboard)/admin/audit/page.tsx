import { AuditLogPanel } from '../_components/audit-log-panel';

export default function AdminAuditPage() {
  return <AuditLogPanel />;
}
