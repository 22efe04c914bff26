/**
 * `load` memoized by URL for the worker's lifetime: each checkpoint is fetched and built once, and
 * a failed load is forgotten, so that a retry loads again instead of repeating the old error.
 */
export function loadOncePerUrl<T>(load: (url: string) => Promise<T>): (url: string) => Promise<T> {
  const byUrl = new Map<string, Promise<T>>();
  return (url) => {
    let loading = byUrl.get(url);
    if (!loading) {
      loading = load(url);
      byUrl.set(url, loading);
      loading.catch(() => byUrl.delete(url));
    }
    return loading;
  };
}
