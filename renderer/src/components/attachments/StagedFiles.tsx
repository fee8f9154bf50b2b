// The files waiting in the composer for the next message: a chip each, with a preview for images,
// name and size, a spinner while the host encrypts it, why it was refused, "send as file" for
// images, and a button to take it out again.
import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { kindOf } from '../../../../shared/attachment.js';
import { formatBytes } from '../../../../shared/size.js';
import { errorMessage } from '../../api.js';
import { removeStaged, setAsFile } from '../../attachment-actions.js';
import type { StagedItem } from '../../attachment-store.js';
import { FileIcon, labelOf } from './file-icons.js';

export function StagedFiles({ conversationId, items }: { conversationId: string; items: readonly StagedItem[] }) {
  const { t } = useTranslation();
  return (
    <ul className="staged-files" aria-label={t('composer.files')}>
      {items.map((item) => {
        const image = kindOf(item.file.type) === 'image';
        return (
          <li key={item.key} className={`staged-file${item.error ? ' refused' : ''}`} aria-busy={item.staged === null && item.error === null}>
            {item.preview ? (
              <img className="staged-preview" src={item.preview} alt="" />
            ) : (
              <span className="staged-icon">
                <FileIcon label={labelOf(item.file.name, item.file.type)} size={30} />
              </span>
            )}
            <span className="staged-text">
              <span className="file-name" title={item.file.name}>
                {item.file.name}
              </span>
              <span className="file-size">
                {item.error ? errorMessage(item.error) : item.staged ? formatBytes(item.file.size) : t('composer.preparing')}
              </span>
              {image && (
                <label className="checkbox staged-as-file">
                  <input type="checkbox" checked={item.asFile} onChange={(e) => setAsFile(conversationId, item.key, e.target.checked)} />
                  {t('composer.asFile')}
                </label>
              )}
            </span>
            {item.staged === null && item.error === null && <span className="spinner" aria-hidden="true" />}
            <button type="button" className="icon-button" aria-label={t('composer.removeFile', { name: item.file.name })} onClick={() => removeStaged(conversationId, item.key)}>
              <X size={14} aria-hidden="true" />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
