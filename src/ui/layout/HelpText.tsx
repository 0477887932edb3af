/** A help paragraph whose `docs/<name>.md` citations are links to the docs served with the site. */
import { splitDocCitations } from '../docs';

export function HelpText({ text, className = 'help-text', testId }: { text: string; className?: string; testId?: string }) {
  return (
    <p className={className} data-testid={testId}>
      {splitDocCitations(text).map((part, i) =>
        'href' in part ? (
          <a key={i} href={part.href} target="_blank" rel="noopener">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}
