import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';

export type ButtonVariant = 'primary' | 'secondary' | 'success' | 'warning' | 'danger' | 'ghost';
export type ButtonSize = 'sm' | 'md' | 'lg' | 'xl';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'size'> {
  variant?: ButtonVariant;
  /** `lg`/`xl` are touch sizes (≥ 64 px high) for kiosks and consoles. */
  size?: ButtonSize;
  /** A keyboard shortcut shown on the button, e.g. "F1". */
  shortcut?: string;
  block?: boolean;
  children?: ComponentChildren;
}

/** The one button of every screen: large, high-contrast, with an optional shortcut hint. */
export function Button({ variant = 'primary', size = 'md', shortcut, block, class: cls, className, type, children, ...rest }: ButtonProps) {
  const classes = ['hh-btn', `hh-btn--${variant}`, `hh-btn--${size}`, block ? 'hh-btn--block' : '', typeof cls === 'string' ? cls : '', typeof className === 'string' ? className : '']
    .filter(Boolean)
    .join(' ');
  return (
    <button type={type ?? 'button'} class={classes} {...rest}>
      <span class="hh-btn__label">{children}</span>
      {shortcut ? <kbd class="hh-btn__kbd">{shortcut}</kbd> : null}
    </button>
  );
}
