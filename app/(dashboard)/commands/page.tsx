import { Suspense } from 'react';
import { LoadingState } from '@/app/_components/ui';
import { CommandQueue } from './command-queue';

export default function CommandsPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading commands…" />}>
      <CommandQueue />
    </Suspense>
  );
}
