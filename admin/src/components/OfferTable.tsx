import { Box, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { PurposeOffer } from '../../../shared/contracts/forms';
import { useT } from '../utils/useT';

/** Says in words whether a purpose is offered in a language, and why not (server/src/domain/notice-offer.ts). */
export const useOfferText = () => {
  const t = useT();
  return (offer: PurposeOffer, language: string, defaultLocale: string | undefined): string => {
    if (offer.offered) {
      return offer.fallback
        ? t('forms.offer.fallback', 'offered with the {noticeLanguage} notice (none in {language})', {
            noticeLanguage: offer.noticeLanguage,
            language,
          })
        : t('forms.offer.offered', 'offered');
    }
    switch (offer.reason) {
      case 'unknown-purpose':
        return t('forms.offer.unknown-purpose', 'not offered: no such purpose');
      case 'archived':
        return t('forms.offer.archived', 'not offered: the purpose is archived');
      case 'no-published-notice':
        return t('forms.offer.no-published-notice', 'not offered: no notice is published in any language');
      case 'no-notice-in-language':
        if (language === defaultLocale) {
          return t(
            'forms.offer.no-notice-in-default',
            'not offered: no published notice in {language}, the purpose’s default language',
            {
              language,
            }
          );
        }
        return t(
          'forms.offer.no-notice-in-language',
          'not offered: no published notice in {language}, nor in the purpose’s default language ({defaultLocale})',
          { language, defaultLocale: defaultLocale ?? '?' }
        );
    }
  };
};

/**
 * Per purpose and language, whether visitors are offered the purpose: a purpose without a notice a visitor
 * can read is left out of the form in that language, and the editor is told here rather than finding out.
 */
const OfferTable = ({
  offers,
  defaultLocales,
  names,
}: {
  offers: Record<string, Record<string, PurposeOffer>>;
  defaultLocales: Record<string, string>;
  names: Record<string, string>;
}) => {
  const t = useT();
  const offerText = useOfferText();
  const keys = Object.keys(offers);
  const languages = [...new Set(keys.flatMap((k) => Object.keys(offers[k])))].sort();
  return (
    <Box data-testid="form-offers">
      <Typography variant="delta" tag="h2">
        {t('forms.offersTitle', 'Offered in each language')}
      </Typography>
      <Typography variant="pi" textColor="neutral600" tag="p">
        {t(
          'forms.offersHint',
          'A purpose is shown with its notice in the visitor’s language, else in the purpose’s default language; without either, it is left out.'
        )}
      </Typography>
      <Table colCount={languages.length + 1} rowCount={keys.length + 1}>
        <Thead>
          <Tr>
            <Th>
              <Typography variant="sigma">{t('forms.purposes', 'Purposes offered')}</Typography>
            </Th>
            {languages.map((l) => (
              <Th key={l}>
                <Typography variant="sigma">{l}</Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {keys.map((key) => (
            <Tr key={key} data-purpose={key}>
              <Td>
                <Typography>{names[key] ?? key}</Typography>
              </Td>
              {languages.map((l) => {
                const offer = offers[key][l];
                return (
                  <Td key={l} data-language={l} data-offered={offer.offered} style={{ whiteSpace: 'normal' }}>
                    <Typography
                      textColor={offer.offered ? (offer.fallback ? 'warning700' : 'success700') : 'danger600'}
                    >
                      {offerText(offer, l, defaultLocales[key])}
                    </Typography>
                  </Td>
                );
              })}
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Box>
  );
};

export { OfferTable };
