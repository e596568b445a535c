import { Suspense } from 'react';
import { LoadingState } from '@/app/_components/ui';
import { LookupResults } from './lookup-results';

export default function VinLookupPage() {
  return (
    <Suspense fallback={<LoadingState label="Looking up…" />}>
      <LookupResults />
    </Suspense>
  );
}
