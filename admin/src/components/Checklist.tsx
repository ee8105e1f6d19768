import { Box, Flex, Typography } from '@strapi/design-system';
import { Check, Cross } from '@strapi/icons';
import type { LegalBasis } from '../../../shared/contracts/domain';
import { A7_ELEMENTS, type A7Element } from '../../../shared/contracts/notices';
import { useLabels } from '../utils/labels';
import { useT } from '../utils/useT';

/**
 * The A7 minimum information, ticked off element by element; publishing waits until all are there. The
 * balancing-test reference (C3) is listed for legitimate-interest purposes only.
 */
const Checklist = ({ missing, legalBasis }: { missing: A7Element[] | null; legalBasis?: LegalBasis }) => {
  const t = useT();
  const labels = useLabels();
  return (
    <Box padding={4} background="neutral100" hasRadius data-testid="a7-checklist">
      <Typography variant="sigma" tag="h3">
        {t('notices.checklist', 'Before publishing, the notice must say')}
      </Typography>
      {missing === null ? (
        <Typography textColor="neutral600">{t('notices.checklistUnsaved', 'Save the draft to check it.')}</Typography>
      ) : (
        <Flex direction="column" alignItems="stretch" gap={1} paddingTop={2} tag="ul">
          {A7_ELEMENTS.filter((e) => e !== 'balancingTest' || legalBasis === 'legitimate-interest').map((element) => {
            const ok = !missing.includes(element);
            return (
              <Flex key={element} gap={2} tag="li" data-element={element} data-ok={ok}>
                {ok ? <Check fill="success600" aria-hidden /> : <Cross fill="danger600" aria-hidden />}
                <Typography textColor={ok ? 'neutral800' : 'danger600'}>
                  {labels.a7[element]}
                  {ok ? '' : ` — ${t('notices.missing', 'missing')}`}
                </Typography>
              </Flex>
            );
          })}
        </Flex>
      )}
    </Box>
  );
};

export { Checklist };
