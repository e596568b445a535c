export default function Home() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem', maxWidth: 720 }}>
      <h1>OTA Console</h1>
      <p>The vehicle API is served under <code>/api/ota/v1</code> and <code>/cdn/v1</code>. See docs/vehicle-api.md.</p>
    </main>
  );
}
