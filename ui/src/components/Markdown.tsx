import ReactMarkdown from "react-markdown";

/** Renders a markdown note safely (react-markdown builds React elements; raw HTML is not rendered). */
export function Markdown({ text, testId }: { text: string; testId?: string }) {
  if (!text.trim()) return <div className="muted" data-testid={testId}>Nothing written yet.</div>;
  return (
    <div className="markdown" data-testid={testId}>
      <ReactMarkdown>{text}</ReactMarkdown>
    </div>
  );
}
