import { Box, Typography } from '@strapi/design-system';
import { diffWords } from 'diff';
import type { Notice } from '../../../shared/contracts/notices';
import { useT } from '../utils/useT';

/** The text a person reads, as one string per version, so two versions can be compared word by word. */
const readable = (n: Notice) =>
  [
    n.title,
    n.body,
    n.withdrawal ?? '',
    `— ${n.dataCategories.join(', ')}`,
    `— ${n.recipients.join(', ') || '∅'}`,
    n.privacyPolicyUrl,
  ].join('\n\n');

/** Word-level changes from `before` to `after`: removed words struck through in red, added ones in green. */
const NoticeDiff = ({ before, after }: { before: Notice; after: Notice }) => {
  const t = useT();
  const parts = diffWords(readable(before), readable(after));
  return (
    <Box padding={4} background="neutral100" hasRadius data-testid="notice-diff">
      <Typography variant="sigma" tag="p">
        {t('notices.diffTitle', 'Changes from version {from} to version {to}', {
          from: before.version,
          to: after.version,
        })}
      </Typography>
      <Box paddingTop={2} style={{ whiteSpace: 'pre-wrap' }}>
        {parts.map((part, i) =>
          part.added ? (
            <ins key={i} style={{ background: '#c6f0c2', textDecoration: 'none' }}>
              {part.value}
            </ins>
          ) : part.removed ? (
            <del key={i} style={{ background: '#f5c0b8' }}>
              {part.value}
            </del>
          ) : (
            <span key={i}>{part.value}</span>
          )
        )}
      </Box>
    </Box>
  );
};

export { NoticeDiff };
