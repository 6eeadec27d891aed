'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

interface Suggestion {
  slug: string;
  name: string;
}

const SUGGEST_DELAY_MS = 200;

/**
 * Search form with autocomplete. Without JavaScript it is a plain GET form
 * to /search. With JavaScript it requests /api/search/suggest as the shopper
 * types and shows the matches as a listbox (WAI-ARIA combobox pattern):
 * arrow keys move through the matches, Enter opens one, Escape closes.
 */
export function SearchBox() {
  const router = useRouter();
  const listId = useId();
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const requestRef = useRef<AbortController | null>(null);

  useEffect(() => {
    const text = query.trim();
    if (text.length === 0 || text.length > 100) {
      setItems([]);
      return;
    }

    const timer = setTimeout(() => {
      requestRef.current?.abort();
      const controller = new AbortController();
      requestRef.current = controller;

      fetch(`/api/search/suggest?q=${encodeURIComponent(text)}`, {
        signal: controller.signal,
        headers: { accept: 'application/json' },
      })
        .then((response) => (response.ok ? response.json() : { items: [] }))
        .then((body: { items?: Suggestion[] }) => {
          setItems(body.items ?? []);
          setActive(-1);
          setOpen(true);
        })
        .catch(() => {
          // Aborted or offline: keep the plain search form working.
        });
    }, SUGGEST_DELAY_MS);

    return () => clearTimeout(timer);
  }, [query]);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (!open || items.length === 0) return;

    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((index) => (index + 1) % items.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => (index <= 0 ? items.length - 1 : index - 1));
    } else if (event.key === 'Escape') {
      setOpen(false);
    } else if (event.key === 'Enter' && active >= 0) {
      const item = items[active];
      if (!item) return;
      event.preventDefault();
      setOpen(false);
      router.push(`/products/${encodeURIComponent(item.slug)}`);
    }
  }

  const expanded = open && items.length > 0;

  return (
    <div className="search">
      <form action="/search" method="get" role="search">
        <label htmlFor={`${listId}-input`} className="visually-hidden">
          Search products
        </label>
        <input
          id={`${listId}-input`}
          name="q"
          type="search"
          placeholder="Search products"
          autoComplete="off"
          maxLength={100}
          required
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={`${listId}-list`}
          aria-activedescendant={
            active >= 0 ? `${listId}-option-${active}` : undefined
          }
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onFocus={() => setOpen(true)}
        />
        <button type="submit">Search</button>
      </form>
      <ul
        id={`${listId}-list`}
        role="listbox"
        className="suggestions"
        hidden={!expanded}
      >
        {items.map((item, index) => (
          <li key={item.slug} role="presentation">
            <a
              id={`${listId}-option-${index}`}
              role="option"
              aria-selected={index === active}
              href={`/products/${encodeURIComponent(item.slug)}`}
            >
              {item.name}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
