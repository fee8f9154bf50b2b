/** An error message, announced when it appears; nothing when there is none. */
export function FormError({ error, className }: { error: string | null; className?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className={className ? `error ${className}` : 'error'}>
      {error}
    </p>
  );
}
