import type { ReactNode } from 'react';

export const metadata = { title: 'OTA Console', description: 'Over-the-air software updates for vehicles' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
