/** Short names (keys, scopes) as a list of chips; `max` shows the first few and counts the rest. */
export function Chips({ items, label, max }: { items: string[]; label?: string; max?: number }) {
  const shown = max === undefined ? items : items.slice(0, max)
  return (
    <ul className="chips" aria-label={label}>
      {shown.map((item) => (
        <li key={item}>
          <code>{item}</code>
        </li>
      ))}
      {items.length > shown.length && (
        <li className="more">and {items.length - shown.length} more</li>
      )}
    </ul>
  )
}
