/** A titled card with a "?" that opens its one-paragraph help text (as the charts have). */
import { useState, type ReactNode } from 'react';
import { HelpText } from '../layout/HelpText';

export function Panel({
  title,
  help,
  testId,
  children,
  extra,
}: {
  title: string;
  help: string;
  testId?: string;
  children: ReactNode;
  extra?: ReactNode;
}) {
  const [showHelp, setShowHelp] = useState(false);
  return (
    <section className="chart inside-panel" data-testid={testId}>
      <h2>
        {title}{' '}
        <button className="help-button" aria-label={`What is ${title}?`} onClick={() => setShowHelp((v) => !v)}>
          ?
        </button>
        {extra}
      </h2>
      {showHelp && <HelpText text={help} />}
      {children}
    </section>
  );
}
