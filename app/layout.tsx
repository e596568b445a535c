import type { ReactNode } from 'react';
import { Providers } from './_components/providers';
import './globals.css';

export const metadata = { title: 'OTA Console', description: 'Over-the-air software updates for vehicles' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
