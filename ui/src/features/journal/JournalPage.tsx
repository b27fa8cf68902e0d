export function JournalPage() { return <div className="page" />; }
