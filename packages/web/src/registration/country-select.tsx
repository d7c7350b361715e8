import { useId } from 'react';
import { COUNTRIES } from '../lib/countries';

interface CountrySelectProps {
  value: string;
  onChange: (iso: string) => void;
}

export function CountrySelect({ value, onChange }: CountrySelectProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Country</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="country">
        {COUNTRIES.map((c) => (
          <option key={c.iso} value={c.iso}>
            {c.name} ({c.dialCode})
          </option>
        ))}
      </select>
    </div>
  );
}
