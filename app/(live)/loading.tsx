export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading the latest block" className="space-y-6">
      <div className="h-6 w-48 animate-pulse rounded bg-neutral-800" />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="h-20 animate-pulse rounded-lg bg-neutral-900" />
        ))}
      </div>
      <div className="h-64 animate-pulse rounded-lg bg-neutral-900" />
    </div>
  );
}
