// The project's study files for the editor that `make edit` serves.
//
// Sveltia CMS works on a local repository through the browser's folder picker
// (window.showDirectoryPicker, Chromium only), which asks the editor to find
// the folder and cannot be driven by a test.  This page is served by the
// project's own local server instead, which reads and writes the study files
// itself: here showDirectoryPicker answers at once with a folder backed by
// that server.  It holds `.git` (so the CMS takes it as a repository root)
// and content/studies; the server refuses every other path, and every
// request carries the token of this page.
'use strict';

(() => {
  const token = document.querySelector('meta[name="rheum-studio-token"]').content;
  const API = '/_studio/files/';
  const TEMP = /^\.sveltia-tmp-/; // the CMS writes a new file to a temporary name, then renames it
  const pending = new Map(); // temporary files, kept here until they get their real name

  const fail = (name, message) => new DOMException(message, name);

  const request = async (method, path, body) => {
    const url = API + path.split('/').map(encodeURIComponent).join('/');
    const response = await fetch(url, {
      method,
      body,
      cache: 'no-store',
      headers: { 'X-Rheum-Studio': token },
    });
    if (response.status === 404) throw fail('NotFoundError', `${path} was not found`);
    if (!response.ok) throw fail('NotAllowedError', `${path}: ${await response.text()}`);
    return response;
  };

  const join = (folder, name) => (folder ? `${folder}/${name}` : name);

  class Handle {
    constructor(path, kind) {
      this.kind = kind;
      this.path = path;
      this.name = path.split('/').pop();
      this.rheumStudio = true; // marks a copy the CMS kept in IndexedDB, see below
    }

    async queryPermission() {
      return 'granted';
    }

    async requestPermission() {
      return 'granted';
    }

    async isSameEntry(other) {
      return other instanceof Handle && other.path === this.path && other.kind === this.kind;
    }
  }

  class FileHandle extends Handle {
    constructor(path) {
      super(path, 'file');
    }

    async getFile() {
      if (pending.has(this.path)) return new File([pending.get(this.path)], this.name);
      const response = await request('GET', this.path);
      return new File([await response.blob()], this.name, { type: 'text/yaml' });
    }

    async createWritable() {
      const chunks = [];
      const handle = this;
      return {
        async write(data) {
          chunks.push(data && data.type === 'write' ? data.data : data);
        },
        async close() {
          const blob = new Blob(chunks);
          if (TEMP.test(handle.name)) pending.set(handle.path, blob);
          else await request('PUT', handle.path, blob);
        },
        async abort() {},
      };
    }

    async move(folder, name) {
      const target = join(folder.path, name ?? this.name);
      const blob = pending.has(this.path) ? pending.get(this.path) : await this.getFile();
      await request('PUT', target, blob);
      if (pending.has(this.path)) pending.delete(this.path);
      else await request('DELETE', this.path);
      this.path = target;
      this.name = target.split('/').pop();
    }
  }

  class DirectoryHandle extends Handle {
    constructor(path) {
      super(path, 'directory');
    }

    async list() {
      const response = await request('GET', this.path ? `${this.path}/` : '');
      return response.json();
    }

    async *entries() {
      for (const { name, kind } of await this.list()) {
        const path = join(this.path, name);
        yield [name, kind === 'directory' ? new DirectoryHandle(path) : new FileHandle(path)];
      }
    }

    async *keys() {
      for await (const [name] of this.entries()) yield name;
    }

    async *values() {
      for await (const [, handle] of this.entries()) yield handle;
    }

    [Symbol.asyncIterator]() {
      return this.entries();
    }

    async find(name, kind) {
      const entry = (await this.list()).find((item) => item.name === name);
      if (entry && entry.kind !== kind) throw fail('TypeMismatchError', `${join(this.path, name)} is a ${entry.kind}`);
      return entry;
    }

    async getFileHandle(name, { create = false } = {}) {
      const path = join(this.path, name);
      if (TEMP.test(name) || (await this.find(name, 'file')) || create) return new FileHandle(path);
      throw fail('NotFoundError', `${path} was not found`);
    }

    async getDirectoryHandle(name) {
      if (await this.find(name, 'directory')) return new DirectoryHandle(join(this.path, name));
      throw fail('NotFoundError', `${join(this.path, name)} is not a folder the editor may use`);
    }

    async removeEntry(name) {
      const path = join(this.path, name);
      if (pending.has(path)) pending.delete(path);
      else await request('DELETE', path);
    }

    async resolve(handle) {
      return handle.path.startsWith(this.path) ? handle.path.slice(this.path.length).split('/').filter(Boolean) : null;
    }
  }

  const root = new DirectoryHandle('');
  window.showDirectoryPicker = async () => root;

  // The CMS keeps the folder it was given in IndexedDB to reopen it on the next visit; a stored copy
  // of this object has lost its methods, so reading one back gives the live folder instead.
  const result = Object.getOwnPropertyDescriptor(IDBRequest.prototype, 'result');
  Object.defineProperty(IDBRequest.prototype, 'result', {
    configurable: true,
    enumerable: result.enumerable,
    get() {
      const value = result.get.call(this);
      return value && value.rheumStudio === true && value.kind === 'directory' ? root : value;
    },
  });
})();
