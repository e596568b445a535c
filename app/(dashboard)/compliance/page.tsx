import { Suspense } from 'react';
import { LoadingState } from '@/app/_components/ui';
import { ComplianceView } from './compliance-view';

export default function CompliancePage() {
  return (
    <Suspense fallback={<LoadingState label="Loading the software register…" />}>
      <ComplianceView />
    </Suspense>
  );
}
