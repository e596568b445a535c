import { Suspense } from 'react';
import { LoadingState } from '@/app/_components/ui';
import { VehicleList } from './vehicle-list';

export default function VehiclesPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading vehicles…" />}>
      <VehicleList />
    </Suspense>
  );
}
