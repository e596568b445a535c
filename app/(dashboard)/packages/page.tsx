import { PackagesView } from './packages-view';

export const metadata = { title: 'Packages · OTA Console' };

export default function PackagesPage() {
  return <PackagesView />;
}
