import { asAppError } from "./errors";
import { ErrorNotice } from "./ErrorNotice";

type Props = { error: unknown; title: string; onRetry?: () => void; testId?: string };

/**
 * A failed request to the community server. Branches on the error's kind and the contract's
 * error code (never its message): not connected, a page above the user's role, or the advice
 * errors.ts gives for the kind and code.
 */
export function CommunityError({ error, title, onRetry, testId }: Props) {
  const err = asAppError(error);
  const advice =
    err.kind === "NotConnected"
      ? "This journal is not connected to a community. Connect it in Settings → Community."
      : err.kind === "Remote" && err.data.code === "forbidden"
        ? "Your role in the community does not allow this. An admin of the community can change your role."
        : undefined;
  return <ErrorNotice error={error} title={title} onRetry={onRetry} testId={testId} advice={advice} />;
}
