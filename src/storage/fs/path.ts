// Paths inside one node's file system: relative, '/'-separated, no '.' or '..' segments. The root
// folder is the empty path ''. Backends map these onto their own keys or real directories.

export const rootPath = '';

/** Whether `path` is a well-formed node path ('' or segments without '.', '..', '/' or NUL). */
export function isValidPath(path: string): boolean {
  if (path === rootPath) return true;
  return path.split('/').every((segment) => isValidName(segment));
}

/** Whether `name` can be one segment of a path. */
export function isValidName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0');
}

/** Joins segments (each may itself contain '/'), skipping empty ones. */
export function joinPath(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('/');
}

/** The folder holding `path` ('' for a top-level name). */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? rootPath : path.slice(0, slash);
}

/** The last segment of `path`. */
export function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}

/** The segments of `path` ([] for the root). */
export function pathSegments(path: string): string[] {
  return path === rootPath ? [] : path.split('/');
}

/** Whether `path` is `ancestor` or lies inside it. */
export function isWithin(path: string, ancestor: string): boolean {
  if (ancestor === rootPath) return true;
  return path === ancestor || path.startsWith(`${ancestor}/`);
}
