// CSS mistakes a browser forgives silently: an unclosed block drops every rule after it, a
// duplicated selector splits one component's styles, a misspelt property does nothing. Errors
// only; layout and order are not checked.
export default {
  extends: ['stylelint-config-recommended'],
  rules: {
    // It compares selectors of unrelated elements (".file-size" in a push and in the composer)
    // by source order alone: noise for a stylesheet organised by component.
    'no-descending-specificity': null,
  },
};
