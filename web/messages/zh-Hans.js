// Simplified Chinese (简体中文): full-width punctuation, a space between Chinese and Latin letters or digits.
(self.digitDrawerMessages = self.digitDrawerMessages || {})['zh-Hans'] = {
  'language.name': '简体中文',
  'language.dir': 'ltr',
  'language.label': '语言',

  'app.name': 'Digit Drawer',
  'app.shortName': '画数字',
  'app.description': '画一个数字，看机器学习模型在你的浏览器里实时猜出它，不用联网。',

  'headline.none': '画一个数字。你能骗过机器吗？',
  'headline.agree': '它们都说是 {digit}。',
  'headline.single': '{name} 说是 {digit}。',
  'headline.split': '它们意见不一！谁是对的？',
  'headline.allDiffer': {
    other: '{count} 个不同的答案：你骗过它们了！',
  },
  'headline.error': 'Digit Drawer 无法启动。',

  'status.loading': '正在唤醒机器……',
  'status.empty': '画一个 0 到 9 的数字！',

  'pad.label': '画板：画一个 0 到 9 的数字',
  'pad.strokes': {
    other: '画板，已画 {count} 笔',
  },
  'pad.off': '画板，已关闭',
  'tools.undo': '撤销',
  'tools.undoTitle': '撤销上一笔（Ctrl+Z）',
  'tools.clear': '清空',
  'tools.clearTitle': '清空画板（Esc）',
  'seen.caption': '机器看到的画面',
  'seen.label': '机器看到的 28×28 像素图像',
  'seen.empty': '机器看到的 28×28 像素图像：空白',

  'model.logreg.name': '逻辑回归',
  'model.logreg.blurb': '像素打分器：每个像素一个权重',
  'model.forest.name': '随机森林',
  'model.forest.blurb': '100 棵决策树投票',
  'model.lenet.name': 'LeNet-5',
  'model.lenet.blurb': '会寻找形状的神经网络',

  'panel.sure': '有 {percent} 的把握',
  'panel.chart': '{name} 对每个数字的把握：{list}',
  'panel.chartItem': '{digit}：{percent}',
  'panel.chartEmpty': '{name} 还没有东西可看',
  'panel.missing': '这台机器无法猜测：它的文件 {file} 缺失或已损坏。请重新复制整个 Digit Drawer 文件夹。',
  'panel.missingOneFile': '这台机器无法猜测：本页面中属于它的部分缺失或已损坏。请重新复制 digit-drawer.html。',

  'announce.empty': '画板是空的。',
  'announce.guess': '{name} 说是 {digit}，有 {percent} 的把握',
  'announce.cannot': '{name} 无法猜测',
  'announce.result': '{guesses}。{headline}',

  'offline.saved': '已保存到这台设备：Digit Drawer 现在不联网也能用。',

  'error.title': 'Digit Drawer 无法启动',
  'error.reload': '重新加载',
  'error.details': '给设置本页面的人看的详细信息',
  'error.incomplete': '这份 Digit Drawer 副本不完整：文件 {file} 缺失或已损坏。',
  'error.incompleteOneFile': '这份 digit-drawer.html 副本不完整或已损坏。',
  'error.cutShort': '这份 digit-drawer.html 副本不完整：文件没有结尾，可能是复制时被截断了。',
  'error.noModels': '所有机器都无法启动：它们的文件缺失或已损坏。',
  'error.predict': 'Digit Drawer 无法读取这幅画。',
  'error.tooOld': '此浏览器版本太旧，无法运行 Digit Drawer。',
  'error.scripts': '此浏览器无法运行本页面，可能是版本太旧。',
  'error.openedAsFile': '本页面是作为文件直接打开的。只有由网页服务器发送时，浏览器才会运行它。',
  'error.timeout': 'Digit Drawer 在 30 秒内没有完成启动。',
  'hint.copyFolder': '请重新复制整个 Digit Drawer 文件夹（或询问设置它的人），然后重新加载页面。',
  'hint.copyOneFile': '请从原来的地方重新复制 digit-drawer.html，然后打开这份副本。',
  'hint.newerBrowser': '请用较新的 Chrome、Edge、Firefox 或 Safari（2021 年或之后的版本）打开本页面。',
  'hint.openOneFile': '请改为打开 digit-drawer.html：它把整个页面装在一个文件里，专门用于从文件夹或 U 盘打开。',
  'hint.reload': '请重新加载页面。如果再次出现，请告诉设置本页面的人。',
};
