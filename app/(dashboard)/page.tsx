import { PageHeader } from '../_components/ui';

export default function OverviewPage() {
  return <PageHeader title="Overview" subtitle="Fleet, campaigns and recent activity" />;
}
